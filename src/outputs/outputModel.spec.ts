import { IRenderMime } from '@jupyterlab/rendermime';
import { OutputModel } from './outputModel';

/** A mime model that keeps what is set on it, as an output's does. */
function mimeModel(data: Record<string, unknown>): IRenderMime.IMimeModel {
  const model = {
    trusted: true,
    data,
    metadata: {},
    setData: (options: IRenderMime.IMimeModel.ISetDataOptions) => {
      model.data = { ...(options.data ?? model.data) };
    }
  };
  return model as unknown as IRenderMime.IMimeModel;
}

describe('OutputModel', () => {
  it('writes into the model the kernel replaced it with, carrying over what it wrote', () => {
    const first = mimeModel({ 'text/plain': 'runwatch review: 2 runs' });
    const output = new OutputModel(first);
    output.write('image/png', 'AAAA');
    expect(first.data['image/png']).toBe('AAAA');

    // The kernel's table arrives: a new model, without the image.
    const second = mimeModel({ 'text/plain': 'the whole table' });
    output.replace(second);
    expect(second.data).toEqual({
      'text/plain': 'the whole table',
      'image/png': 'AAAA'
    });
    expect(output.data['text/plain']).toBe('the whole table');

    output.write('image/png', 'BBBB');
    expect(second.data['image/png']).toBe('BBBB');
    expect(first.data['image/png']).toBe('AAAA');
  });

  it('leaves a new model alone when nothing was written', () => {
    const second = mimeModel({ 'text/plain': 'table' });
    let sets = 0;
    const setData = second.setData.bind(second);
    second.setData = options => {
      sets++;
      setData(options);
    };
    new OutputModel(mimeModel({})).replace(second);
    expect(sets).toBe(0);
  });
});
