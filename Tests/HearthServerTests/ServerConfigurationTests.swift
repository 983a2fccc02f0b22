import HearthServer
import Testing

@Suite struct ServerConfigurationTests {
    @Test func defaultsListenOnLoopback() {
        #expect(ServerConfiguration().host == "127.0.0.1")
    }
}
