import { parseDtype } from './dtype';
import { DtypeError } from './errors';

describe('parseDtype', () => {
  it.each([
    ['<f8', { kind: 'float', size: 8 }],
    ['<f2', { kind: 'float', size: 2 }],
    ['|b1', { kind: 'bool', size: 1 }],
    ['?', { kind: 'bool', size: 1 }],
    ['|i1', { kind: 'int', size: 1 }],
    ['=u1', { kind: 'uint', size: 1 }],
    ['<u8', { kind: 'uint', size: 8 }],
    ['<M8[us]', { kind: 'datetime', size: 8, unit: 'us' }],
    ['|V4', { kind: 'void', size: 4 }]
  ])('reads %s', (dtype, parsed) => {
    expect(parseDtype(dtype, 'f', 'x')).toEqual(parsed);
  });

  it.each([
    ['>i4', 'big-endian'],
    ['=f8', 'no explicit byte order'],
    ['<f16', 'unsupported dtype'],
    ['|O', 'object'],
    ['<U8', 'unicode'],
    ['<M8', 'datetime unit (none)'],
    ['<M8[10ms]', 'datetime unit 10ms'],
    ['<i8[ns]', 'unsupported dtype'],
    ['f8x', 'unsupported dtype']
  ])('rejects %s', (dtype, reason) => {
    expect(() => parseDtype(dtype, 'stats.a.0.npr', 'x')).toThrow(DtypeError);
    expect(() => parseDtype(dtype, 'stats.a.0.npr', 'x')).toThrow(
      new RegExp(
        `^stats\\.a\\.0\\.npr: field 'x' has .*${reason.replace(/[()[\]]/g, '\\$&')}`
      )
    );
  });
});
