import type { JSX } from 'preact';

/** Small line icons (24-unit grid, drawn in the current text colour). */
function icon(path: string, filled = false) {
  return function Icon(): JSX.Element {
    return (
      <svg viewBox="0 0 24 24" aria-hidden="true" class="ic" fill={filled ? 'currentColor' : 'none'} stroke={filled ? 'none' : 'currentColor'} stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
        <path d={path} />
      </svg>
    );
  };
}

export const BotIcon = icon('M12 3v3M7 9h10a3 3 0 0 1 3 3v4a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3v-4a3 3 0 0 1 3-3zM9 13.5h.01M15 13.5h.01');
export const ChevronLeftIcon = icon('M15 18l-6-6 6-6');
export const CloseIcon = icon('M18 6 6 18M6 6l12 12');
export const PlusIcon = icon('M12 5v14M5 12h14');
export const SendIcon = icon('M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z', true);
export const ThumbUpIcon = icon('M7 10v11M7 10l4-7a2 2 0 0 1 3 2l-1 5h6a2 2 0 0 1 2 2.3l-1.4 7A2 2 0 0 1 17.6 21H7M7 10H4v11h3');
export const ThumbDownIcon = icon('M17 14V3M17 14l-4 7a2 2 0 0 1-3-2l1-5H5a2 2 0 0 1-2-2.3l1.4-7A2 2 0 0 1 6.4 3H17M17 14h3V3h-3');
export const PersonIcon = icon('M20 21a8 8 0 0 0-16 0M12 13a5 5 0 1 0 0-10 5 5 0 0 0 0 10z');
export const LinkIcon = icon('M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1');
export const ClockIcon = icon('M12 7v5l3 2M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z');
export const CheckIcon = icon('M5 12.5 10 17l9-10');
export const StarIcon = icon('M12 2.8l2.8 5.8 6.3.9-4.6 4.4 1.1 6.3L12 17.2l-5.6 3 1.1-6.3L2.9 9.5l6.3-.9z', true);
export const PaperclipIcon = icon('M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9');
export const FileIcon = icon('M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5');
