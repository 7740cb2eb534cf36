import { loadPlatformModel } from '@lakewall/platform-model';
import { mnpiScrubber } from './log-scrub';

const scrub = mnpiScrubber(loadPlatformModel(), 'local');

describe('mnpiScrubber', () => {
  it('hides MNPI names, whole and inside longer identifiers, and keeps public ones', () => {
    expect(scrub("Not authorized to access topics: [cdc.trades.mnpi] for user 'sink-mnpi'")).toBe(
      "Not authorized to access topics: [<mnpi>] for user '<mnpi>'",
    );
    expect(scrub('subject cdc.orders.mnpi-value')).toBe('subject <mnpi>-value');
    expect(scrub('topic cdc.market_data.public is fine')).toBe('topic cdc.market_data.public is fine');
    expect(scrub('tradesman')).toBe('tradesman');
  });
});
