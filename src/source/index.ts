/** src/source: text -> YAML AST with positions -> plain data; locating paths; override merging. */
export * from './parse.js';
export * from './locate.js';
export * from './merge.js';
