// What parsing throws is the one error type of every layer, defined by the decoder's module:
// re-exported so that `import HearthText` is all a user of the text format writes.
@_exported import struct HearthBinary.HearthError
