def test_home_page_answers_in_chinese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in response.content.decode()
    assert "政府信息公开工作年度报告" in response.content.decode()


def test_admin_login_page_is_chinese_even_for_an_english_browser(client, db):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    text = response.content.decode()
    assert "政务公开年报填报平台" in text
    assert "用户名" in text and "密码" in text


def test_demo_accounts_log_in(client, demo):
    from reports.demo.loader import DEMO_PASSWORD

    for username in ("zhangpeng", "wanxiaoling", "xieweimin", "coordinator", "admin"):
        client.logout()
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302, username
        assert client.get("/admin/").status_code == 200


def test_an_account_without_membership_cannot_enter_the_admin(client, make_user):
    make_user(username="lonely", password="pw-for-tests")
    response = client.post("/admin/login/", {"username": "lonely", "password": "pw-for-tests"})
    assert response.status_code == 200
    assert "未加入任何填报单位" in response.content.decode()
