/** A tag as shown: with one "#" in front, whether or not the tag itself starts with one. */
export const tagLabel = (tag: string): string => (tag.startsWith('#') ? tag : `#${tag}`);
