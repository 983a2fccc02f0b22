// The engine's types that appear in this layer's own API (`RuntimeObjectSettings.limits`, the
// limits a server hands down), so a client of the host needs no `import HearthRuntime`.
@_exported import struct HearthRuntime.ExecutionLimits
@_exported import class HearthRuntime.InterruptGroup
@_exported import class HearthRuntime.CancellableTimer
