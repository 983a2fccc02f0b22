-- wrk script: POST a warm invoke of a trivial Ember function (add) to one object.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"functionId":"math","entryPoint":"add","args":[2,3]}'

-- Any non-200 answer is counted as an error in wrk's summary.
response = function(status, headers, body)
  if status ~= 200 then wrk.thread:stop() end
end
