// The window's run event hub (the seam to the panels) and the check every notification passes
// before it reaches the hub.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_EVENTS_PER_RUN, MAX_MASK_SNAPSHOTS_PER_RUN, MAX_RUNS_REMEMBERED, RunEventHub } from '../../../client/src/runs/runEvents';
import { readRunEvent } from '../../../schemas/src/runEventSchema';
import type { RunEvent } from '../../../schemas/src/runNotifications';
import type { TrainerMessage } from '../../../schemas/src/trainerMessages';

const ORIGIN = { uri: 'file:///p/exp.masklab', experiment: 'quick' };

function event(runId: string, message: TrainerMessage | RunEvent['event']): RunEvent {
  return { runId, runDir: `/p/.masklab/runs/quick/${runId}`, origin: ORIGIN, event: message };
}
const progress = (runId: string, step: number): RunEvent =>
  event(runId, { type: 'progress', runId, step, stepsTotal: 100, epoch: step / 10, stepsPerSecond: 3, examplesPerSecond: 96, elapsedSeconds: step / 3, etaSeconds: (100 - step) / 3 });
const metrics = (runId: string, step: number): RunEvent => event(runId, { type: 'metrics', runId, step, epoch: step / 10, time: step, split: 'train', values: { loss: 1 / step } });
const snapshot = (runId: string, step: number): RunEvent => event(runId, { type: 'mask-snapshot', runId, step, matrices: [] });
const started = (runId: string): RunEvent =>
  event(runId, { type: 'started', runId, backend: { name: 'wasm', device: 'CPU', detail: 'wasm (SIMD, 1 thread)' }, parameters: 10, trainable: 4, stepsTotal: 100, epochs: 1, examples: { train: 32, dev: 8 } });
const ended = (runId: string): RunEvent => event(runId, { type: 'ended', runId, state: 'completed', step: 100, message: null, resumable: false, logFile: '/p/trainer.log' });

test('listeners get every event in order; disposing stops them; a throwing listener does not starve the others', () => {
  const hub = new RunEventHub();
  const seen: string[] = [];
  hub.onRunEvent(() => {
    throw new Error('a bug in one panel');
  });
  const subscription = hub.onRunEvent((e) => seen.push(`${e.runId}:${e.event.type}`));
  const original = console.error;
  console.error = () => undefined;
  try {
    hub.publish(started('a'));
    hub.publish(progress('a', 1));
    subscription.dispose();
    hub.publish(progress('a', 2));
  } finally {
    console.error = original;
  }
  assert.deepEqual(seen, ['a:started', 'a:progress']);
});

test('lastEvents keeps the newest progress only, the newest mask snapshots, and every metric in order', () => {
  const hub = new RunEventHub();
  hub.publish(started('a'));
  for (let step = 1; step <= 5; step++) {
    hub.publish(metrics('a', step));
    hub.publish(progress('a', step));
    hub.publish(snapshot('a', step));
  }
  hub.publish(started('b'));
  const kept = hub.lastEvents('a').map((e) => `${e.event.type}${'step' in e.event ? `@${e.event.step}` : ''}`);
  assert.deepEqual(kept, ['started', 'metrics@1', 'metrics@2', 'metrics@3', 'metrics@4', 'mask-snapshot@4', 'metrics@5', 'progress@5', 'mask-snapshot@5']);
  assert.equal(kept.filter((k) => k.startsWith('mask')).length, MAX_MASK_SNAPSHOTS_PER_RUN);
  assert.deepEqual(hub.lastEvents('nobody'), []);
  assert.deepEqual(
    hub.activeRuns().map((e) => e.runId),
    ['a', 'b'],
  );
  hub.publish(ended('a'));
  assert.equal(hub.isActive('a'), false);
  assert.equal(hub.isActive('b'), true);
  assert.equal(hub.lastEvents('a').at(-1)?.event.type, 'ended', 'the history of an ended run stays readable');
});

test('a long run keeps a bounded tail, with its `started` event; old ended runs are forgotten first', () => {
  const hub = new RunEventHub();
  hub.publish(started('long'));
  for (let step = 1; step <= MAX_EVENTS_PER_RUN + 50; step++) hub.publish(metrics('long', step));
  const kept = hub.lastEvents('long');
  assert.equal(kept.length, MAX_EVENTS_PER_RUN);
  assert.equal(kept[0].event.type, 'started');
  assert.equal((kept[1].event as { step: number }).step, 52);
  assert.equal((kept.at(-1)!.event as { step: number }).step, MAX_EVENTS_PER_RUN + 50);

  for (let i = 0; i < MAX_RUNS_REMEMBERED + 5; i++) {
    hub.publish(started(`r${i}`));
    if (i % 2 === 0) hub.publish(ended(`r${i}`));
  }
  assert.equal(hub.lastEvents('r0').length, 0, 'an old ended run is forgotten');
  assert.ok(hub.lastEvents('r1').length > 0, 'a run still training is never forgotten');
  assert.ok(hub.lastEvents('long').length > 0);
});

test('run event notifications are checked: envelope, trainer message and `ended`, and the run ids must agree', () => {
  for (const good of [started('a'), progress('a', 3), ended('a'), event('a', { type: 'warning', runId: 'a', message: 'slow' })]) {
    const checked = readRunEvent(good);
    assert.ok(checked.ok, checked.ok ? '' : checked.problem);
  }
  const bad: [unknown, RegExp][] = [
    [null, /malformed run event/],
    [{ ...progress('a', 1), runDir: 3 }, /runDir/],
    [{ ...progress('a', 1), origin: { uri: 'x' } }, /experiment/],
    [event('a', { type: 'progress', runId: 'a', step: -1 } as unknown as TrainerMessage), /malformed 'progress'/],
    [event('a', { type: 'explode', runId: 'a' } as unknown as TrainerMessage), /not a trainer message/],
    [{ ...ended('a'), event: { ...(ended('a').event as object), state: 'exploded' } }, /'ended'/],
    [{ ...progress('a', 1), runId: 'b' }, /carries a message of run a/],
    [{ ...progress('a', 1), extra: true }, /extra|additional/i],
  ];
  for (const [value, problem] of bad) {
    const checked = readRunEvent(value);
    assert.ok(!checked.ok, `accepted ${JSON.stringify(value)}`);
    assert.match(checked.problem, problem);
  }
});
