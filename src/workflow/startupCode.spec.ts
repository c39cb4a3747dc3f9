import { nullTranslator } from '@jupyterlab/translation';
import {
  composeStartupCode,
  DEFAULT_STARTUP_CODE,
  LOAD_RUNWATCH_CODE,
  startupErrorMessage
} from './startupCode';

describe('composeStartupCode', () => {
  it('runs autoreload by default and loads runwatch when asked', () => {
    const code = composeStartupCode(DEFAULT_STARTUP_CODE, true);
    expect(code.startsWith('%load_ext autoreload\n%autoreload 2\n')).toBe(true);
    expect(code.endsWith(LOAD_RUNWATCH_CODE)).toBe(true);
  });

  it('omits the runwatch loader when disabled', () => {
    expect(composeStartupCode('x = 1', false)).toBe('x = 1');
  });

  it('is empty when there is nothing to run', () => {
    expect(composeStartupCode('  \n', false)).toBe('');
  });

  it('guards the runwatch loader on the package being importable', () => {
    expect(LOAD_RUNWATCH_CODE).toContain("find_spec('runwatch')");
  });
});

describe('startupErrorMessage', () => {
  it('names the error', () => {
    expect(
      startupErrorMessage(
        'python3',
        'NameError',
        "name 'x' is not defined",
        nullTranslator.load('runwatch')
      )
    ).toBe(
      "Kernel start-up code failed in python3: NameError: name 'x' is not defined"
    );
  });
});
