import {
  canRelaunch,
  canStop,
  countsText,
  formatMetrics,
  formatParams,
  parseSweepReply,
  statusClass
} from './sweepRows';
import { MarkingTranslator } from '../testing';
import { replyRow } from './testing';

describe('parseSweepReply', () => {
  it('says what is wrong when the reply is no sweep', () => {
    expect(() => parseSweepReply({ message: 'nope' })).toThrow(
      'the server sent no sweep'
    );
    expect(() => parseSweepReply(null)).toThrow('the server sent no sweep');
  });

  it('shows a variant as the user reads it', () => {
    const reply = parseSweepReply({
      name: 'lr-sweep',
      target: 'train.py',
      parallel: 2,
      supervisor: 41523,
      rows: [replyRow('f4f5d80fef')]
    });
    expect(reply.name).toBe('lr-sweep');
    expect(reply.rows).toEqual([
      {
        variant: 'f4f5d80fef',
        params: 'lr=0.001 seed=1',
        status: 'running',
        reason: 'pid 18489: heartbeat declared every 5 s',
        run: '2026-11-28 14-45-09 sleek-f4f5d80fef lr-sweep',
        elapsed: '12m 05s',
        metrics: 'loss 0.25',
        pid: 18489,
        attempts: 1
      }
    ]);
  });

  it('shows a queued variant with no run, pid or time yet', () => {
    const [row] = parseSweepReply({
      rows: [
        replyRow('a', {
          status: 'queued',
          reason: null,
          run: null,
          pid: null,
          elapsed_s: null,
          metrics: {},
          attempts: 0
        })
      ]
    }).rows;
    expect(row).toMatchObject({
      status: 'queued',
      reason: '',
      run: null,
      pid: null,
      elapsed: '',
      metrics: ''
    });
  });

  it('drops rows that are no variant and survives odd fields', () => {
    const reply = parseSweepReply({
      rows: [3, null, { status: 'running' }, { variant: 'b', status: 7 }]
    });
    expect(reply.rows.map(r => [r.variant, r.status, r.params])).toEqual([
      ['b', 'unreadable', '']
    ]);
  });
});

describe('formatParams and formatMetrics', () => {
  it('prints params in the sweep order, small numbers exactly enough', () => {
    expect(formatParams({ lr: 0.0003, seed: 0, arch: 'mlp' })).toBe(
      'lr=0.0003 seed=0 arch=mlp'
    );
  });

  it('prints multi-field kinds and NaN', () => {
    expect(
      formatMetrics({
        'loss.train': 0.123456,
        q: { 'q.0': 0.1, 'q.1': 0.9 },
        bad: null
      })
    ).toBe('loss.train 0.1235 · q 0.1/0.9 · bad nan');
  });
});

describe('countsText', () => {
  const rows = parseSweepReply({
    rows: [
      replyRow('a'),
      replyRow('b', { status: 'queued' }),
      replyRow('c'),
      replyRow('d', { status: 'crashed' }),
      replyRow('e', { status: 'queued' }),
      replyRow('f', { status: 'queued' })
    ]
  }).rows;

  it('tallies the statuses in the order they appear', () => {
    expect(countsText(rows)).toBe('6 variants: 2 running, 3 queued, 1 crashed');
  });

  it('translates the whole line', () => {
    const trans = new MarkingTranslator().load('runwatch');
    expect(countsText(rows.slice(0, 2), trans)).toBe(
      '««2 variants»: «1 «running»», «1 «queued»»»'
    );
  });
});

describe('actions by status', () => {
  it('stops live or queued variants and relaunches fallen ones', () => {
    expect(['running', 'queued', 'starting', 'stalled'].map(canStop)).toEqual([
      true,
      true,
      true,
      true
    ]);
    expect(['finished', 'crashed', 'failed'].map(canStop)).toEqual([
      false,
      false,
      false
    ]);
    expect(['crashed', 'failed', 'not started'].map(canRelaunch)).toEqual([
      true,
      true,
      true
    ]);
    expect(['running', 'queued', 'finished'].map(canRelaunch)).toEqual([
      false,
      false,
      false
    ]);
  });

  it('makes a class of a status with a space', () => {
    expect(statusClass('not started')).toBe('not-started');
  });
});
