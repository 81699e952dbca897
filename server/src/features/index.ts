// The language features, as pure functions of a parsed or analysed document: the one module the
// language server imports.

export { codeActions } from './codeActions';
export { codeLenses, MAX_CELL_LENSES, SHOW_RESOLVED_CONFIG } from './codeLenses';
export { completion } from './completion';
export { definition } from './definition';
export { documentSymbols } from './documentSymbols';
export { foldingRanges } from './foldingRanges';
export { formatting } from './formatting';
export { hover } from './hover';
export { inlayHints } from './inlayHints';
export { toLspDiagnostic } from './lspDiagnostic';
export { prepareRename, rename } from './rename';
export { semanticTokens, semanticTokensLegend } from './semanticTokens';
export { resolveTarget, type ResolveTarget } from './resolvedConfig';
