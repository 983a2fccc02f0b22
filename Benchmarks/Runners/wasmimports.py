"""Reads a module's type and import sections, just enough to give wasm3 the signature string of
every imported function (wasm3 must be told each host function's signature when it is linked)."""

VALUE_TYPES = {0x7F: "i", 0x7E: "I", 0x7D: "f", 0x7C: "F"}


def _uleb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def _name(data, pos):
    length, pos = _uleb(data, pos)
    return bytes(data[pos:pos + length]).decode(), pos + length


def function_imports(data):
    """Returns [(module, name, wasm3_signature)] for every imported function, e.g. 'i(iiii)'."""
    if data[:4] != b"\0asm":
        raise ValueError("not a WebAssembly binary")
    pos, types, imports = 8, [], []
    while pos < len(data):
        section, pos = data[pos], pos + 1
        size, pos = _uleb(data, pos)
        end = pos + size
        if section == 1:
            count, p = _uleb(data, pos)
            for _ in range(count):
                if data[p] != 0x60:
                    raise ValueError("unsupported: non-function type in type section")
                p += 1
                nparams, p = _uleb(data, p)
                params = "".join(VALUE_TYPES[data[p + i]] for i in range(nparams))
                p += nparams
                nresults, p = _uleb(data, p)
                results = "".join(VALUE_TYPES[data[p + i]] for i in range(nresults))
                p += nresults
                types.append(f"{results or 'v'}({params})")
        elif section == 2:
            count, p = _uleb(data, pos)
            for _ in range(count):
                module, p = _name(data, p)
                name, p = _name(data, p)
                kind, p = data[p], p + 1
                if kind == 0:
                    index, p = _uleb(data, p)
                    imports.append((module, name, types[index]))
                elif kind == 1:  # table: reftype, limits
                    p += 1
                    flags, p = data[p], p + 1
                    _, p = _uleb(data, p)
                    if flags & 1:
                        _, p = _uleb(data, p)
                elif kind == 2:  # memory: limits
                    flags, p = data[p], p + 1
                    _, p = _uleb(data, p)
                    if flags & 1:
                        _, p = _uleb(data, p)
                elif kind == 3:  # global: valtype, mutability
                    p += 2
                else:
                    raise ValueError(f"unsupported: import kind {kind}")
            return imports
        pos = end
    return imports
