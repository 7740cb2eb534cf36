import { loadPlatformModel } from '@lakewall/platform-model';
import { KAFKA_CONTROLLER_USER } from './components/kafka';
import { KAFKA_ADMIN } from './credentials';

describe("the local broker's super users", () => {
  it('are the ones the model names, so the policy and the model validation know them', () => {
    expect(loadPlatformModel().kafka.superUsers.slice().sort()).toEqual(
      [KAFKA_ADMIN, KAFKA_CONTROLLER_USER].sort(),
    );
  });
});
