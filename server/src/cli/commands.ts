import type { CliCommand } from './command';

// Sub-commands are loaded lazily so that `masklab validate` never pays for tfjs.
export const commandLoaders: Record<string, () => Promise<CliCommand>> = {
};
