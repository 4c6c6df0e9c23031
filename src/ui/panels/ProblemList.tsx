import { type ConfigIssue, formatIssue } from '../../core/config/ConfigError.ts';

/** The pipeline's problems, one line each, as the Inspector lists them. */
export function ProblemList({ issues }: { issues: readonly ConfigIssue[] }) {
  return (
    <>
      {issues.map((i) => (
        <p key={`${i.path}${i.message}`} className="issue">
          {formatIssue(i)}
        </p>
      ))}
    </>
  );
}
