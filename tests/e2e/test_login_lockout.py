from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo

LOCKED = "登录失败次数过多，该账号已暂时锁定，请30分钟后再试，或联系主管部门解锁。"


def type_password(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_head_locked_out_by_wrong_passwords_is_unlocked_by_the_coordinator(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()

    # Five wrong passwords for the 单位负责人, then the right one: refused, in Chinese.
    for _ in range(5):
        type_password(page, live_server, "xieweimin", "guess-123456")
    type_password(page, live_server, "xieweimin", DEMO_PASSWORD)
    expect(page.locator("p.errornote")).to_have_text(LOCKED)
    expect(page.get_by_label("用户名")).to_have_value("xieweimin")
    screenshot("login-locked-out")

    # The coordinator, at the same computer, is not affected; finds the account and unlocks it.
    login("coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/auth/user/?q=xieweimin")
    expect(page.locator("#result_list")).to_contain_text("已锁定")
    page.get_by_role("link", name="xieweimin").click()
    expect(page.locator(".field-login_lock")).to_contain_text("已锁定：连续登录失败 6 次")
    screenshot("login-unlock-button")
    page.get_by_role("button", name="解除登录锁定").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已解除账号 xieweimin 的登录锁定")
    expect(page.locator(".field-login_lock")).to_contain_text("未锁定")

    # The head logs in with the right password.
    page.context.clear_cookies()
    login("xieweimin", DEMO_PASSWORD)
    expect(page.get_by_text("填报与管理")).to_be_visible()
