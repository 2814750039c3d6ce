// zh-CN / English strings for the till, one dictionary.
export * from './strings';
export * from './translate';
