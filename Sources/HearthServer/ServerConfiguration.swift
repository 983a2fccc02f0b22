/// Where `hearth serve` listens and keeps its data.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: String

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = ".hearth") {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
    }
}
