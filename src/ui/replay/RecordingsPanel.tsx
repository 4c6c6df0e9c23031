import { useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import {
  deleteRecording,
  dropStaleImports,
  listRecordings,
  renameRecording,
} from '../../recording/recordingLibrary.ts';
import type { RecordingMeta } from '../../recording/RecordingWriter.ts';
import { ExportOutputs } from './ExportOutputs.tsx';
import { RecordingCard } from './RecordingCard.tsx';
import { importFiles, startRecording, stopRecording } from './recordingActions.ts';
import { bytesText } from '../timeText.ts';
import './replay.css';
import { useStudio } from '../StudioProvider.tsx';

/** Storage use and quota, and whether the browser granted persistent storage. */
function useStorage(tick: number) {
  const [est, setEst] = useState<{ usage: number; quota: number; persisted: boolean }>();
  useEffect(() => {
    void (async () => {
      const e = await navigator.storage?.estimate?.();
      const persisted = (await navigator.storage?.persisted?.()) ?? false;
      if (e) setEst({ usage: e.usage ?? 0, quota: e.quota ?? 0, persisted });
    })();
  }, [tick]);
  return est;
}

/** The recordings library: record, import, and per recording replay/compare/export. */
export function RecordingsPanel() {
  const studio = useStudio();
  const active = useStore(studio.recordingStore, (s) => s.active);
  const stopped = useStore(studio.recordingStore, (s) => s.stopped);
  const closed = useStore(studio.recordingStore, (s) => s.closed);
  const saving = useStore(studio.recordingStore, (s) => s.saving);
  const failed = useStore(studio.recordingStore, (s) => s.failed);
  const anySaving = Object.keys(saving).length > 0;
  const replaying = useStore(studio.replayStore, (s) => (s.controller ? s.recordingId : undefined));
  const imp = useStore(studio.recordingUi.importStore);
  const [list, setList] = useState<RecordingMeta[]>([]);
  const [outputs, setOutputs] = useState(true);
  const [tolerance, setTolerance] = useState(0);
  const [tick, setTick] = useState(0);
  const [over, setOver] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const storage = useStorage(tick);

  const refresh = useCallback(async () => {
    const db = await studio.db();
    setList(await listRecordings(db));
    setTick((t) => t + 1);
  }, [studio]);
  useEffect(() => {
    void studio.db().then((db) => dropStaleImports(db, Date.now() - 3_600_000));
  }, [studio]);
  useEffect(() => {
    // Soon after mount or a change, then every second while a recording grows or saves.
    const first = setTimeout(() => void refresh(), 0);
    const t = active || anySaving ? setInterval(() => void refresh(), 1000) : undefined;
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [refresh, active, anySaving, closed]);

  // A tap is open: the run records, or it was left recording under a replay of itself.
  const recording = active !== undefined;
  return (
    <div
      className={`recordings${over ? ' drop-over' : ''}`}
      data-testid="recordings-panel"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void importFiles(studio, [...e.dataTransfer.files]);
      }}
    >
      <div className="rec-bar">
        {recording ? (
          <button className="stop" onClick={() => stopRecording(studio)} data-testid="record-stop">
            ■ Stop recording
          </button>
        ) : (
          <button
            className="record"
            onClick={() => startRecording(studio, outputs)}
            data-testid="record-start"
            title="Run the pipeline on screen and record its sources into this browser"
          >
            <span className="rec-dot" /> Record
          </button>
        )}
        <label className="rec-check" title="Also record every node's outputs (for Compare)">
          <input
            type="checkbox"
            checked={outputs}
            disabled={recording}
            onChange={(e) => setOutputs(e.target.checked)}
          />
          outputs
        </label>
      </div>
      {stopped && (
        <div className="rec-alert" role="alert" data-testid="rec-alert">
          {stopped}
        </div>
      )}
      {storage && (
        <div className="rec-storage" title={storage.persisted ? 'Persistent storage' : undefined}>
          <div className="meter">
            <div
              style={{ width: `${Math.min(100, (storage.usage / (storage.quota || 1)) * 100)}%` }}
            />
          </div>
          <span data-testid="storage-estimate">
            {bytesText(storage.usage)} of {bytesText(storage.quota)} used
            {storage.persisted ? ' · persistent' : ''}
          </span>
        </div>
      )}
      <div
        className="drop-zone"
        onClick={() => fileInput.current?.click()}
        role="button"
        tabIndex={0}
      >
        {imp.progress !== undefined ? (
          <>
            <span>Importing… {Math.round(imp.progress * 100)}%</span>
            <div className="meter">
              <div style={{ width: `${imp.progress * 100}%` }} />
            </div>
          </>
        ) : (
          <span>
            Drop a <code>.ndjson</code> or <code>.ndjson.gz</code> recording here, or click to pick
          </span>
        )}
        <input
          ref={fileInput}
          type="file"
          hidden
          accept=".ndjson,.gz,.jsonl"
          data-testid="import-recording"
          onChange={(e) => {
            void importFiles(studio, [...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>
      {imp.error && (
        <div className="rec-alert" role="alert" data-testid="import-error">
          Import rejected: {imp.error}
        </div>
      )}
      <label className="rec-tolerance">
        Compare tolerance
        <input
          type="number"
          min={0}
          step="any"
          value={tolerance}
          onChange={(e) => setTolerance(Math.max(0, Number(e.target.value) || 0))}
        />
      </label>
      {list.length === 0 && <p className="empty">No recordings yet.</p>}
      {list.length > 0 && <ExportOutputs />}
      <ul>
        {list.map((rec) => (
          <RecordingCard
            key={rec.id}
            rec={rec}
            active={rec.id === active && recording}
            replaying={rec.id === replaying}
            saving={saving[rec.id]}
            failed={failed[rec.id]}
            tolerance={tolerance}
            onRename={(name) =>
              void studio
                .db()
                .then((db) => renameRecording(db, rec.id, name))
                .then(refresh)
            }
            onDelete={() =>
              void studio
                .db()
                .then((db) => deleteRecording(db, rec.id))
                .then(refresh)
            }
          />
        ))}
      </ul>
    </div>
  );
}
