// The types in this module's public signatures (`ValueType`, `FunctionType`, `FeatureSet`,
// `MemoryType`, `ModuleLimits`, ...) are defined by the decoder's module, and what compiling
// throws (`HearthError`) by the decoder's:
// re-exported so that `import HearthRuntime` is all an embedder writes.
@_exported import HearthBinary
@_exported import HearthValidation
