// An embedder of WASI programs writes one import: the engine types in this module's signatures
// (`Linker`, `Store`, `Instance`, `HearthError`...) come with it.
@_exported import HearthRuntime
