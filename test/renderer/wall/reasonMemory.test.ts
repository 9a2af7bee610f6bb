import { describe, expect, it } from 'vitest';
import {
  EMPTY_REASON_MEMORY,
  assignmentKey,
  remember,
  rememberedReason,
} from '../../../renderer/wall/reasonMemory';
import type { ViewReason } from '../../../shared/domain/reasons';

const caseA: ViewReason = { code: 'active_incident', reference: '2026-0001' };
const caseB: ViewReason = { code: 'camera_pull', reference: '2026-0002' };

describe('reason memory', () => {
  it('asks the first time', () => {
    expect(rememberedReason(EMPTY_REASON_MEMORY, 'cam-1')).toBeNull();
  });

  it('does not ask again for the same camera under the same assignment', () => {
    const m = remember(EMPTY_REASON_MEMORY, ['cam-1'], caseA);
    expect(rememberedReason(m, 'cam-1')).toEqual(caseA);
  });

  it('asks for a new camera, and for a known camera once the assignment changed', () => {
    let m = remember(EMPTY_REASON_MEMORY, ['cam-1'], caseA);
    expect(rememberedReason(m, 'cam-2')).toBeNull();
    m = remember(m, ['cam-2'], caseB);
    expect(rememberedReason(m, 'cam-1')).toBeNull();
    expect(rememberedReason(m, 'cam-2')).toEqual(caseB);
    // Back to case A: camera 1 was viewed under it already.
    m = remember(m, ['cam-3'], caseA);
    expect(rememberedReason(m, 'cam-1')).toEqual(caseA);
  });

  it('case numbers compare without regard to case or spaces', () => {
    expect(assignmentKey({ code: 'active_incident', reference: ' 2026-abc ' })).toBe(
      assignmentKey({ code: 'active_incident', reference: '2026-ABC' }),
    );
    expect(assignmentKey(caseA)).not.toBe(assignmentKey({ ...caseA, code: 'camera_pull' }));
  });
});
