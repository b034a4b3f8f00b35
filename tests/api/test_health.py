def test_healthz_reports_database_and_absent_redis(anon):
    response = anon.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "absent"}


def test_healthz_reports_real_redis(app, anon):
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    try:
        response = anon.get("/healthz")
    finally:
        app.config["REDIS_URL"] = ""
        app.extensions.pop("redis", None)
    assert response.json["redis"] == "ok"


def test_healthz_reports_unreachable_redis_as_error(app, anon):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    try:
        response = anon.get("/healthz")
    finally:
        app.config["REDIS_URL"] = ""
        app.extensions.pop("redis", None)
    assert response.status_code == 503
    assert response.json["redis"] == "error"
