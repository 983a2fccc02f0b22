// The engine types in this module's public signatures (`ExecutionLimits`, `CompiledModule`,
// `Store`, `Value`, ...) are the engine's own, not copies: re-exported so that `import
// HearthBridge` is all a host of guest runtimes writes.
@_exported import HearthRuntime
