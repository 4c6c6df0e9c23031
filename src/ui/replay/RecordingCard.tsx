import { useState } from 'react';
import { useUtc } from '../hooks.ts';
import type { RecordingMeta } from '../../recording/RecordingWriter.ts';
import {
  compareRecording,
  exportOutputs,
  exportRecording,
  replayRecording,
} from './recordingActions.ts';
import { bytesText, clockText, durationText } from '../timeText.ts';
import { useStudio } from '../StudioProvider.tsx';
import { savingText } from '../../session/recordingCloses.ts';

export interface RecordingCardProps {
  readonly rec: RecordingMeta;
  readonly active: boolean;
  readonly replaying: boolean;
  /** Still being written after a stop: chunks left (null: not known yet); undefined: not saving. */
  readonly saving: number | null | undefined;
  /** Its recorder failed before closing it: why, and what was kept. */
  readonly failed: string | undefined;
  readonly tolerance: number;
  readonly onRename: (name: string) => void;
  readonly onDelete: () => void;
}

/** One recording in the library: what it holds, and what can be done with it. */
export function RecordingCard(props: RecordingCardProps) {
  const { rec, active, replaying, saving, failed, tolerance, ...on } = props;
  // Never opened before its close completed: it would read as a truncated recording.
  const closing = saving !== undefined;
  const utc = useUtc();
  const studio = useStudio();
  const [renaming, setRenaming] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const span = rec.startTs !== null && rec.endTs !== null ? rec.endTs - rec.startTs : 0;
  const where = [rec.venues.join(', '), rec.symbols.join(', ')].filter(Boolean).join(' · ');
  return (
    <li
      className={`rec-card${active ? ' is-recording' : ''}${replaying ? ' is-replaying' : ''}`}
      data-testid="recording"
      data-id={rec.id}
    >
      {renaming ? (
        <input
          autoFocus
          defaultValue={rec.name}
          aria-label="Recording name"
          onBlur={(e) => {
            setRenaming(false);
            if (e.target.value.trim()) on.onRename(e.target.value.trim());
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            if (e.key === 'Escape') setRenaming(false);
          }}
        />
      ) : (
        <button className="rec-name" title="Rename" onClick={() => setRenaming(true)}>
          {rec.name}
        </button>
      )}
      <div className="rec-where">{where || 'no sources yet'}</div>
      <div className="rec-meta mono">
        {rec.startTs !== null
          ? `${clockText(rec.startTs, false, utc)} → ${clockText(rec.endTs!, false, utc)}`
          : '—'}
        <span className="muted"> · {durationText(span)}</span>
      </div>
      <div className="rec-meta" data-testid="rec-counts">
        {rec.lines.toLocaleString()} lines · {bytesText(rec.bytes)}
        {rec.outputsRecorded ? ` · ${rec.outputs.toLocaleString()} outputs` : ''}
      </div>
      {active && <div className="rec-badge rec-badge-live">● recording</div>}
      {closing && (
        <div className="rec-badge rec-badge-live" data-testid="rec-saving">
          {savingText(saving)}
        </div>
      )}
      {failed && (
        <div className="rec-badge rec-badge-warn" role="alert" data-testid="rec-failed">
          {failed}
        </div>
      )}
      {rec.status === 'stopped' && !failed && (
        <div className="rec-badge rec-badge-warn" data-testid="rec-stopped" title={rec.stopReason}>
          stopped: {rec.stopReason}
        </div>
      )}
      {rec.outputsEnded && <div className="rec-badge">outputs until: {rec.outputsEnded}</div>}
      <div className="rec-actions">
        <button
          className="primary"
          onClick={() => replayRecording(studio, rec.id)}
          disabled={closing}
          title={active ? 'Replay while it records; ● Live follows the end' : undefined}
        >
          ▶ Replay
        </button>
        <button
          onClick={() => void compareRecording(studio, rec.id, tolerance)}
          disabled={!rec.outputsRecorded || active || closing}
          title="Replay through the pipeline on screen and diff every node against the live outputs"
        >
          Compare
        </button>
        {confirm ? (
          <button className="danger" onClick={on.onDelete} onBlur={() => setConfirm(false)}>
            Delete?
          </button>
        ) : (
          <button onClick={() => setConfirm(true)} disabled={active || closing}>
            Delete
          </button>
        )}
      </div>
      <div className="rec-exports">
        <span className="muted">Export</span>
        <button
          className="link"
          disabled={closing}
          onClick={() => void exportRecording(studio, rec.id)}
        >
          .ndjson.gz
        </button>
        <button
          className="link"
          disabled={closing}
          onClick={() => void exportOutputs(studio, rec.id, 'csv')}
          title="Outputs of the pipeline on screen, as-of joined (as featurizer run --out x.csv)"
        >
          CSV
        </button>
        <button
          className="link"
          disabled={closing}
          onClick={() => void exportOutputs(studio, rec.id, 'parquet')}
        >
          Parquet
        </button>
      </div>
    </li>
  );
}
