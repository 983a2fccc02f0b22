import HearthBridge
import Testing

/// The `env` imports: console log to the sink, fetch through the allow-list.
@Suite struct HostImportTests {
    @Test func consoleLogReachesTheLogSink() throws {
        let t = try TestBridge()
        #expect(try t.run("shout", "[\"hey\"]") == "3")
        #expect(t.log.messages == ["shout: hey"])
    }

    @Test func fetchToAnAllowedHostReturnsTheBody() throws {
        let t = try TestBridge(allowedHosts: ["api.example.com"])
        t.fetcher.responses["https://api.example.com/v1/thing"] = FetchResponse(status: 200, body: "{\"n\":1}")
        #expect(try t.run("get_body", "[\"https://api.example.com/v1/thing\"]") == #""{\"n\":1}""#)
        #expect(try t.run("fetch_raw", "[\"https://api.example.com/v1/thing\"]") == #"{"status":200,"body":"{\"n\":1}"}"#)
        #expect(t.fetcher.requested == ["https://api.example.com/v1/thing", "https://api.example.com/v1/thing"])
    }

    @Test func fetchToAnotherHostIsDeniedWithoutARequest() throws {
        let t = try TestBridge(allowedHosts: ["api.example.com"])
        #expect(try t.run("fetch_raw", "[\"https://evil.example.net/steal\"]")
            == #"{"error":"fetch denied: host evil.example.net is not on the allow-list"}"#)
        #expect(try t.run("fetch_raw", "[\"file:///etc/passwd\"]")
            == #"{"error":"fetch denied: scheme file is not allowed"}"#)
        #expect(t.fetcher.requested.isEmpty)
    }

    @Test func fetchFailuresBecomeErrorObjects() throws {
        let t = try TestBridge(allowedHosts: ["down.example.com"])
        let answer = try t.run("fetch_raw", "[\"http://down.example.com/\"]")
        #expect(answer.hasPrefix(#"{"error":"fetch failed: "#))
    }

    @Test func policyAdmitsOnlyListedHostsOverHTTP() {
        let policy = FetchPolicy(allowedHosts: ["Example.com"])
        #expect((try? policy.check("https://example.com/x").get())?.host == "example.com")
        #expect((try? policy.check("http://EXAMPLE.com:8080/").get()) != nil)
        #expect((try? policy.check("https://sub.example.com/").get()) == nil)
        #expect((try? policy.check("ftp://example.com/").get()) == nil)
    }
}
