import { describe, expect, test } from 'vitest';
import { chooseBrokerKind } from '../../src/broker/choose.ts';
import { parseBrokerList } from '../../src/broker/external.ts';
import { parseJavaMajor } from '../../src/broker/java.ts';
import { detectLang } from '../../src/report/lang.ts';

describe('environment detection', () => {
  test('java -version output gives the major version', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "25" 2025-09-16')).toBe(25);
    expect(parseJavaMajor('java version "1.8.0_402"')).toBe(8);
    expect(parseJavaMajor('nonsense')).toBeUndefined();
  });

  test('language: flag first, then a Chinese locale, else English', () => {
    expect(detectLang('en', { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(detectLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(detectLang(undefined, { LC_ALL: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(detectLang(undefined, { LANG: 'C.UTF-8' })).toBe('en');
  });

  test('broker choice: explicit, else KAFKA_BROKERS, else local', () => {
    expect(chooseBrokerKind(undefined, {})).toBe('local');
    expect(chooseBrokerKind(undefined, { KAFKA_BROKERS: 'h:9092' })).toBe('external');
    expect(chooseBrokerKind('local', { KAFKA_BROKERS: 'h:9092' })).toBe('local');
    expect(() => chooseBrokerKind('cloud', {})).toThrow(/unknown broker "cloud"/);
    expect(() => chooseBrokerKind('external', {})).toThrow(/needs KAFKA_BROKERS/);
  });

  test('KAFKA_BROKERS must be host:port entries', () => {
    expect(parseBrokerList(' a:1 , [::1]:9092')).toEqual(['a:1', '[::1]:9092']);
    expect(() => parseBrokerList('localhost')).toThrow(/"localhost" is not host:port/);
    expect(() => parseBrokerList('h:99999')).toThrow(/not host:port/);
    expect(() => parseBrokerList(',')).toThrow(/empty/);
  });
});
