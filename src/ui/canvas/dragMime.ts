/**
 * The drag-and-drop type of a palette entry dropped on the canvas. Its own module: the palette
 * is on the first screen, the canvas (React Flow) loads after it.
 */
export const DEFINITION_MIME = 'application/x-featurizer-definition';
