import type { Availability } from '../api/types';

export const AVAILABILITY_LABEL: Record<Availability, string> = { online: 'Online', away: 'Away', offline: 'Offline' };
