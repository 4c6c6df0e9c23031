/** Help texts of the cluster commands (#15; docs/cluster.md has the whole story). */

export const CLUSTER_USAGE = `  featurizer publish --nats URL --input rec.ndjson[.gz] [--append]
  featurizer ingest  --nats URL --exchange X --symbols S [--endpoint ws://…] [--duration S]
  featurizer deploy  --nats URL --config <yaml|json|pipeline.json> --name P
                     [--scaling single|per-source|per-node] [--from start|now] [--replace]
  featurizer undeploy --nats URL --name P                     stop P and remove its state
  featurizer worker  --nats URL [--id W]                      run subgraphs (long-running)
  featurizer tail    --nats URL --name P --out <file.ndjson|file.csv|-> [--idle-exit S]
  featurizer status  --nats URL [--json]
`;

export const CLUSTER_HELP = `featurizer cluster commands — pipelines on a NATS JetStream cluster

Usage:
${CLUSTER_USAGE}
  publish   Publishes a recording's lines in order to the market stream (FZ_MD, subjects
            md.<venue>.<symbol>), one message per line, exactly as ingest would have. A file
            already published is refused (exit 1, nothing published); an interrupted publish
            run again continues after the last line the stream holds. --append publishes the
            whole file again, after what the stream holds.
  ingest    Live venue frames (and connect/disconnect/gap markers) into the market stream,
            for --duration seconds (default: until Ctrl-C). --channels as in \`record\`.
  deploy    Stores the pipeline and its subgraphs in KV. --scaling (default per-source) splits
            it as \`run --workers\` does; --from start processes the whole stream, --from now
            (default) only what arrives after the deploy. A name already deployed is an error
            unless --replace: the new config is checked, then the old pipeline undeployed
            (its outputs and checkpoints discarded), then the new one stored.
  undeploy  Stops P's subgraphs on every worker (waiting for them, at most a lease when an
            owner is dead), then removes its leases, checkpoints, status records and output
            stream subjects, and says what it removed. An unknown P is an error naming it.
  worker    Claims subgraph leases and runs them; checkpoints to KV, publishes outputs.
            --id (default host-pid), --lease-sec (default 10), --checkpoint-sec (default 1),
            --telemetry-ms (default 250; 0: none): per-node values for the studio, on fzt.<P>.>.
            SIGINT/SIGTERM stop it and release its leases.
  tail      The pipeline's outputs from the start of its output stream, byte-identical to
            \`featurizer run\` over the same lines. --idle-exit S: end (exit 0) once the outputs
            cover the whole market stream and nothing new arrived for S seconds.
            --format ndjson|csv as in \`run\`. A pipeline undeployed or replaced meanwhile
            ends it with an error.
  status    Per pipeline and subgraph: owner, lag in messages and seconds, checkpoint age,
            restarts. Without an owner: "released" (its worker stopped; the next tick claims
            it) or "unclaimed", with the last owner; "owner W (lease not renewed for S s)"
            when W is dead or paused. --json: state held|expired|released|unclaimed, owner,
            lastOwner, leaseAgeSec.

Credentials: NATS_TOKEN, or NATS_USER and NATS_PASSWORD, in the environment (never on the
command line, where \`ps\` shows them).
Exit codes: 0 success, 1 failure (message on stderr), 2 bad command line.
`;
