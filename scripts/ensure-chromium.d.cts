/** Path of a working Chromium (CHROMIUM_PATH, or /usr/bin/chromium installed with apt-get when missing and root); throws saying how to install one. */
export function ensureChromium(options?: { log?: (line: string) => void }): string;
export const DEFAULT_CHROMIUM: string;
