/** The innovate version, stamped into innovate.lock.json (a test keeps it equal to package.json). */
export const VERSION = '0.1.0';
