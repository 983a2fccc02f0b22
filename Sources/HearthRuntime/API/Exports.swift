// The types in this module's public signatures (`ValueType`, `FunctionType`, `FeatureSet`,
// `MemoryType`, ...) are defined by the decoder's module; re-exported so that `import
// HearthRuntime` is all an embedder writes.
@_exported import HearthBinary
