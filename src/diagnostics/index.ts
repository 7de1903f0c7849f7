/** src/diagnostics: findings as data (code, severity, path, position, hint) and their printing. */
export * from './codes.js';
export * from './diagnostic.js';
export * from './format.js';
export * from './internal.js';
