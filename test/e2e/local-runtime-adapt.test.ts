/**
 * The local runtime runs statemachines/invoice-dunning.asl.json as is; what aws-local-stepfunctions lacks is adapted
 * at load time by a pure function. These tests pin that adaptation.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { WORKFLOW_FUNCTIONS } from '../../infra/catalog';
import {
  ENGINE_TASK_TIMEOUT_SECONDS,
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_WAIT,
  LOCAL_TIMEOUT_PARAMETER,
  adaptDefinitionForLocal,
  loadLocalDefinition,
  mintTaskToken,
  substitutePlaceholders,
} from '../../infra/local/engine';

const root = resolve(__dirname, '../..');
type State = Record<string, any>;

describe('loadLocalDefinition', () => {
  it('replaces every ${...FunctionArn} placeholder with a local function name', () => {
    const definition = loadLocalDefinition(root);
    const text = JSON.stringify(definition);
    expect(text).not.toContain('${');
    const names = new Set(Object.values(WORKFLOW_FUNCTIONS) as string[]);
    for (const state of Object.values(definition.States as Record<string, State>)) {
      if (state.Type === 'Task') expect(names.has(state.Parameters.FunctionName)).toBe(true);
    }
  });

  it('refuses a placeholder it cannot substitute', () => {
    expect(() => substitutePlaceholders('{"a": "${Unknown}"}', {})).toThrow(/Unknown/);
  });
});

describe('adaptDefinitionForLocal on the real definition', () => {
  const source = loadLocalDefinition(root);
  const snapshot = structuredClone(source);
  const adapted = adaptDefinitionForLocal(source);
  const states = adapted.definition.States as unknown as Record<string, State>;
  const sourceStates = source.States as unknown as Record<string, State>;

  it('does not modify its input', () => {
    expect(source).toEqual(snapshot);
  });

  it('turns each .waitForTaskToken task into a park read from the state input, with no engine timeout in reach', () => {
    const parks = Object.entries(sourceStates).filter(([, s]) => s.Resource === LAMBDA_INVOKE_WAIT && s.TimeoutSecondsPath);
    expect(parks.length).toBeGreaterThanOrEqual(5);
    for (const [name, original] of parks) {
      const state = states[name];
      expect(state.TimeoutSecondsPath).toBeUndefined();
      expect(state.TimeoutSeconds).toBe(ENGINE_TASK_TIMEOUT_SECONDS);
      // setTimeout's limit: a larger value would overflow and fire at once.
      expect(state.TimeoutSeconds * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
      expect(state.Parameters[`${LOCAL_TIMEOUT_PARAMETER}.$`]).toBe(original.TimeoutSecondsPath);
      expect(state.Parameters.Payload).toEqual(original.Parameters.Payload);
      expect(state.Parameters.FunctionName).toBe('park-invoice');
      // What the definition means is untouched: Catch on States.Timeout, Retry, Next, ResultPath.
      expect(state.Catch).toEqual(original.Catch);
      expect(state.Retry).toEqual(original.Retry);
      expect(state.Next).toBe(original.Next);
      expect(state.ResultPath).toBe(original.ResultPath);
      expect(adapted.tasks[name]).toEqual({ kind: 'park', timeout: 'path', timeoutRetryable: false });
    }
  });

  it('gives each callback step (a .waitForTaskToken task with a fixed timeout) that timeout on the virtual clock', () => {
    const callbacks = Object.entries(sourceStates).filter(([, s]) => s.Resource === LAMBDA_INVOKE_WAIT && !s.TimeoutSecondsPath);
    expect(callbacks.map(([name]) => name).sort()).toEqual(['Carry out escalation step', 'Hand off to legal']);
    for (const [name, original] of callbacks) {
      const state = states[name];
      expect(original.TimeoutSeconds, name).toBeGreaterThan(0);
      expect(state.Parameters[LOCAL_TIMEOUT_PARAMETER]).toBe(original.TimeoutSeconds);
      expect(state.TimeoutSeconds).toBe(ENGINE_TASK_TIMEOUT_SECONDS);
      expect(state.Catch).toEqual(original.Catch);
      expect(adapted.tasks[name]).toEqual({ kind: 'park', timeout: 'fixed', timeoutRetryable: false });
    }
  });

  it('leaves lambda:invoke tasks alone and runs them locally', () => {
    for (const [name, original] of Object.entries(sourceStates)) {
      if (original.Resource !== LAMBDA_INVOKE) continue;
      expect(states[name]).toEqual(original);
      expect(adapted.tasks[name]).toEqual({ kind: 'lambda' });
    }
  });

  it('overrides every Retry pause to 0 ms (no real sleeping)', () => {
    const withRetry = Object.entries(sourceStates)
      .filter(([, s]) => Array.isArray(s.Retry))
      .map(([name]) => name);
    expect(Object.keys(adapted.retryIntervalOverrides).sort()).toEqual(withRetry.sort());
    expect(new Set(Object.values(adapted.retryIntervalOverrides))).toEqual(new Set([0]));
  });

  it('has nothing it cannot honour', () => {
    expect(adapted.warnings).toEqual([]);
  });
});

describe('adaptDefinitionForLocal on other shapes', () => {
  const base = (task: State) => ({ StartAt: 'T', States: { T: { Type: 'Task', End: true, ...task } } });

  it('moves a fixed TimeoutSeconds of a park into Parameters', () => {
    const adapted = adaptDefinitionForLocal(
      base({ Resource: LAMBDA_INVOKE_WAIT, TimeoutSeconds: 30, Parameters: { FunctionName: 'f', Payload: {} } }),
    );
    const state = adapted.definition.States.T as State;
    expect(state.Parameters[LOCAL_TIMEOUT_PARAMETER]).toBe(30);
    expect(state.TimeoutSeconds).toBe(ENGINE_TASK_TIMEOUT_SECONDS);
    expect(adapted.tasks.T).toMatchObject({ kind: 'park', timeout: 'fixed' });
  });

  it('knows a park without a timeout, and a timeout a retrier may retry', () => {
    const adapted = adaptDefinitionForLocal(
      base({
        Resource: LAMBDA_INVOKE_WAIT,
        Parameters: { FunctionName: 'f' },
        Retry: [{ ErrorEquals: ['States.ALL'] }],
      }),
    );
    expect(adapted.tasks.T).toEqual({ kind: 'park', timeout: 'none', timeoutRetryable: true });
  });

  it('refuses a resource it has no local implementation for', () => {
    expect(() => adaptDefinitionForLocal(base({ Resource: 'arn:aws:states:::sqs:sendMessage' }))).toThrow(/no local/);
  });

  it('warns about Wait states (they would sleep in real time)', () => {
    const adapted = adaptDefinitionForLocal({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, End: true } } });
    expect(adapted.warnings.join()).toMatch(/Wait state "W"/);
  });
});

describe('mintTaskToken', () => {
  it('looks like an AWS task token: long base64 with padding', () => {
    const token = mintTaskToken();
    expect(token).toMatch(/^AQ[A-Za-z0-9+/]+={0,2}$/);
    expect(token.length).toBeGreaterThan(300);
    expect(token.length).toBeLessThanOrEqual(1024);
    expect(mintTaskToken()).not.toBe(token);
  });
});
