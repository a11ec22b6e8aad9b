export * from './losses.js';
export * from './get.js';
