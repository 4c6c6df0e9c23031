import { Component, type ReactNode } from 'react';

interface Props {
  /** What failed, for the message: "canvas", "inspector", … */
  readonly area: string;
  /** The studio grid area the failed part occupied, so the message takes its place. */
  readonly gridArea?: string;
  readonly children: ReactNode;
}

/**
 * Keeps one failing part of the studio from blanking the whole page: the area shows what went
 * wrong and a retry, while the rest (and the running pipeline, which lives outside React) goes on.
 */
export class ErrorBoundary extends Component<Props, { error: Error | undefined }> {
  override state: { error: Error | undefined } = { error: undefined };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div
        className="area-error"
        role="alert"
        style={{ gridArea: this.props.gridArea }}
        data-testid={`area-error-${this.props.area}`}
      >
        <strong>The {this.props.area} failed:</strong> {error.message}
        <button onClick={() => this.setState({ error: undefined })}>Try again</button>
      </div>
    );
  }
}
