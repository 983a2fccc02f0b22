-- wrk script: POST a warm invoke of a trivial Ember function (add) to one object.
-- wrk's summary counts every answer that is not 2xx/3xx ("Non-2xx or 3xx responses").
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"functionId":"math","entryPoint":"add","args":[2,3]}'
