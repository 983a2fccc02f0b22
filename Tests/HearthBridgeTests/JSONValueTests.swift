import HearthBridge
import Testing

/// The bridge's JSON reader/writer: strict parsing, canonical output.
@Suite struct JSONValueTests {
    @Test func parsesAndWritesCanonically() throws {
        let text = #" { "a" : [1, 2.5, -3e2, true, false, null], "s": "q\"\\\n\u00e9\ud83d\ude00" } "#
        #expect(try JSONValue.parse(text).text == #"{"a":[1,2.5,-300,true,false,null],"s":"q\"\\\néπ"}"#
            .replacingOccurrences(of: "π", with: "😀"))
    }

    @Test func numbersKeepTheirValue() throws {
        #expect(try JSONValue.parse("0.1").text == "0.1")
        #expect(try JSONValue.parse("9007199254740993").text == "9007199254740992")
        #expect(try JSONValue.parse("1e300").text == "1e+300")
        #expect(JSONValue.number(.infinity).text == "null")
    }

    /// Found by FuzzJSON: `22e442` parsed to infinity, which is written as `null`, so a value
    /// read and written back changed. A number beyond a double's range is refused instead.
    @Test func aNumberBeyondADoublesRangeIsRefusedNotReadAsInfinity() throws {
        #expect(throws: (any Error).self) { try JSONValue.parse("22e442") }
        #expect(throws: (any Error).self) { try JSONValue.parse("[-1e400]") }
        #expect(try JSONValue.parse("1e-400") == .number(0))
        #expect(try JSONValue.parse("1.7976931348623157e308") == .number(.greatestFiniteMagnitude))
    }

    @Test func rejectsMalformedText() {
        for bad in ["", "{", "[1,]", "01", "1.", "\"\\x\"", "\"\\ud800\"", "nul", "[1] 2", "{\"a\" 1}", "\"a\nb\""] {
            #expect(throws: JSONError.self, "\(bad)") { try JSONValue.parse(bad) }
        }
    }

    @Test func objectMembersAreLookedUpByKey() throws {
        let v = try JSONValue.parse(#"{"ok":{"n":[1]}}"#)
        #expect(v["ok"]?["n"] == .array([.number(1)]))
        #expect(v["missing"] == nil)
    }
}
