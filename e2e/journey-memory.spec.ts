// Issue #11 (replay speed), the user's view of it: the replay keeps what it read in memory, and
// the timeline shows how much (a band on the rail, as Foxglove shows its preloaded ranges). A
// recording opened holds its playhead's chunks; played through, all of it; the hover says
// where a seek reads nothing. In workers (the default) and in this thread (`?runner=inthread`).
import { simRecordingText } from '../src/testing/sim/simRecordingText.ts';
import { expect, test } from './fixtures.ts';
import { openStudio } from './helpers.ts';

const percentOf = async (label: string | null) => Number(/(\d+)%/.exec(label ?? '')?.[1] ?? NaN);

for (const runner of ['workers', 'inthread'] as const)
  test(`the timeline shows what the replay holds in memory: a little when opened, all once played (${runner})`, async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await openStudio(page, runner === 'inthread' ? '/?runner=inthread' : '/');
    await page.getByRole('tab', { name: 'Recordings' }).click();
    await page.getByTestId('import-recording').setInputFiles({
      name: 'market.ndjson',
      mimeType: 'text/plain',
      // 30 chunks of 1000 lines.
      buffer: Buffer.from(simRecordingText(30_000, 3)),
    });
    await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
    const band = page.getByTestId('replay-memory');

    // Opened: the playhead's chunks are read, not the recording.
    await expect(band).toHaveAttribute('aria-label', /^In memory: \d+% of the recording$/);
    expect(await percentOf(await band.getAttribute('aria-label'))).toBeLessThan(50);

    // Played through at max speed: all of it stays in memory.
    await page.getByTestId('replay-speed').selectOption('max');
    await page.getByTestId('replay-play').click();
    await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 60_000 });
    await expect(band).toHaveAttribute('aria-label', 'In memory: 100% of the recording');
    const track = page.getByTestId('replay-track');
    const box = (await track.boundingBox())!;
    const segment = (await band.locator('.replay-memory').first().boundingBox())!;
    expect(segment.width).toBeGreaterThan(box.width * 0.95);

    // Hovering the track says a seek there reads nothing; a click seeks, and it stays held.
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await expect(track.locator('.replay-hover')).toContainText('in memory');
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height / 2);
    await expect(page.getByTestId('replay-count')).not.toContainText('end');
    await expect(band).toHaveAttribute('aria-label', 'In memory: 100% of the recording');
  });
