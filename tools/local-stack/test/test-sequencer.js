// Integration files share one stack: the file that kills the broker runs after all the others.
const Sequencer = require('@jest/test-sequencer').default;

class BrokerFailureLast extends Sequencer {
  sort(tests) {
    const last = (t) => (t.path.includes('broker-failure') ? 1 : 0);
    return [...super.sort(tests)].sort((a, b) => last(a) - last(b));
  }
}

module.exports = BrokerFailureLast;
