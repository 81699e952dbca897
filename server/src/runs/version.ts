// Masklab's version as recorded in run folders and artifacts (a test keeps it equal to package.json's).
export const MASKLAB_VERSION = '0.1.0';
