import { AssignerProtocol } from 'kafkajs';
import { oldestMemberAssigner } from './cluster-lock';

const member = (memberId: string, since?: number) => ({
  memberId,
  memberMetadata: AssignerProtocol.MemberMetadata.encode({
    version: 1,
    topics: ['lock'],
    userData: Buffer.from(since === undefined ? '' : JSON.stringify({ since })),
  }),
});
const holderOf = async (members: ReturnType<typeof member>[]) => {
  const assigner = oldestMemberAssigner('lock')({} as never);
  const out = await assigner.assign({ members, topics: ['lock'] });
  return out
    .filter((a) =>
      (AssignerProtocol.MemberAssignment.decode(a.memberAssignment)?.assignment.lock ?? []).includes(0),
    )
    .map((a) => a.memberId);
};

describe('oldestMemberAssigner', () => {
  it('gives the one partition to the member that wanted the lock first, whatever the join order', async () => {
    expect(await holderOf([member('b', 200), member('a', 100), member('c', 300)])).toEqual(['a']);
  });
  it('hands it to exactly one member, also on a tie and without metadata', async () => {
    expect(await holderOf([member('y', 5), member('x', 5)])).toEqual(['x']);
    expect(await holderOf([member('m'), member('n', 7)])).toEqual(['n']);
  });
});
