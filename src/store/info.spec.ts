import { InfoError } from './errors';
import { parseCreated, parseInfo } from './info';

describe('parseInfo', () => {
  it("parses pavlov's _info.json and drops _env", () => {
    const info = parseInfo(
      JSON.stringify({
        description: 'test',
        _created: '2021-03-01 12:34:56.789012+00:00',
        _host: 'box',
        _files: {},
        _env: { AWS_SECRET_ACCESS_KEY: 'do-not-leak' }
      }),
      'run/_info.json'
    );
    expect(info.fields).toEqual({
      description: 'test',
      _created: '2021-03-01 12:34:56.789012+00:00',
      _host: 'box',
      _files: {}
    });
    expect(info.createdNs).toBe(1614602096789012000n);
    expect(info.createdMs).toBe(1614602096789);
  });

  it.each([
    ['', 'empty file'],
    ['{"_created": ', 'invalid JSON'],
    ['[1]', 'expected a JSON object, got an array'],
    ['null', 'expected a JSON object, got null'],
    ['{"a": 1}', 'missing _created'],
    ['{"_created": 5}', 'bad _created: not a string'],
    ['{"_created": "yesterday"}', 'bad _created: not an ISO 8601 time']
  ])('rejects %j with an InfoError', (text, reason) => {
    let error: InfoError | undefined;
    try {
      parseInfo(text, 'run/_info.json');
    } catch (e) {
      error = e as InfoError;
    }
    expect(error).toBeInstanceOf(InfoError);
    expect(error?.file).toBe('run/_info.json');
    expect(error?.reason).toContain(reason);
  });
});

describe('parseCreated', () => {
  it.each([
    ['2021-03-01 12:34:56+00:00', 1614602096000000000n],
    ['2021-03-01 12:34:56.789012+00:00', 1614602096789012000n],
    ['2021-03-01 12:34:56.789012345+00:00', 1614602096789012345n],
    ['2021-03-01T12:34:56.5Z', 1614602096500000000n],
    ['2021-03-01 12:34:56', 1614602096000000000n],
    ['2021-03-01 13:34:56+01:00', 1614602096000000000n],
    ['2021-03-01 07:04:56-0530', 1614602096000000000n],
    ['1969-12-31 23:59:59.5+00:00', -500000000n],
    ['2024-02-29 00:00:00+00:00', 1709164800000000000n]
  ])('parses %j to exact ns', (text, ns) => {
    expect(parseCreated(text, 'f')).toBe(ns);
  });
});
