// Settings → ISP: the router's URL and headers to copy, and the endpoint test.
import { OnboardingEndpoint } from "../../web_src/settings/onboarding_endpoint.ts";
import { FakeIspService } from "./fake_isp_service.ts";
import { click, destroyAll, mountComponent, texts } from "./helpers.ts";

const TOKEN = "s3cr3t-token-value";

function props(token: string | false) {
  return { record: { data: { isp_mac_onboarding_token: token } }, tokenField: "isp_mac_onboarding_token" };
}

QUnit.module("Settings: onboarding endpoint", (hooks) => {
  hooks.afterEach(destroyAll);

  QUnit.test("asks for a token first", async (assert) => {
    const { target } = await mountComponent(OnboardingEndpoint, new FakeIspService(), props(false));
    assert.deepEqual(texts(target, ".o_isp_core_endpoint_no_token"), ["Generate a token first: the router needs it."]);
    assert.strictEqual(target.querySelector(".o_isp_core_endpoint_test"), null);
  });

  QUnit.test("shows the URL and the headers with the token hidden, and copies them whole", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(OnboardingEndpoint, isp, props(TOKEN));
    assert.strictEqual(target.querySelector<HTMLInputElement>(".o_isp_core_endpoint_url")!.value, "http://127.0.0.1:8069/isp/mac_onboarding");
    const shown = target.querySelector<HTMLInputElement>(".o_isp_core_endpoint_headers")!.value;
    assert.notOk(shown.includes(TOKEN), "the token is not on screen");
    assert.ok(shown.startsWith("X-ISP-Token: s3cr"));
    await click(target, ".o_isp_core_copy_url");
    await click(target, ".o_isp_core_copy_headers");
    assert.deepEqual(isp.callsTo("copyText"), [["http://127.0.0.1:8069/isp/mac_onboarding"], [`X-ISP-Token: ${TOKEN},X-Odoo-Database: isp`]]);
    assert.deepEqual(
      isp.notifications.map(({ message }) => message),
      ["Lease-script URL copied.", "Router headers copied."],
    );
  });

  QUnit.test("a copy the browser refuses says why", async (assert) => {
    const isp = new FakeIspService();
    isp.copy = async () => {
      throw new Error("Copying needs HTTPS: select the text and copy it yourself.");
    };
    const { target } = await mountComponent(OnboardingEndpoint, isp, props(TOKEN));
    await click(target, ".o_isp_core_copy_url");
    assert.deepEqual(isp.notifications, [{ message: "Copying needs HTTPS: select the text and copy it yourself.", kind: "danger" }]);
  });

  QUnit.test("Test shows the endpoint's answer", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(OnboardingEndpoint, isp, props(TOKEN));
    await click(target, ".o_isp_core_endpoint_test");
    assert.deepEqual(isp.callsTo("checkOnboardingEndpoint"), [[TOKEN]]);
    assert.deepEqual(texts(target, ".o_isp_core_endpoint_result"), ['The endpoint accepts this token (HTTP 200): {"result": "ready"}']);
    assert.ok(target.querySelector(".o_isp_core_endpoint_result.text-success"));
  });

  QUnit.test("Test reports a refused token and an unreachable endpoint", async (assert) => {
    const isp = new FakeIspService();
    isp.endpointCheck = async () => ({ ok: false, status: 403, answer: '{"error": "invalid token"}' });
    const { target } = await mountComponent(OnboardingEndpoint, isp, props(TOKEN));
    await click(target, ".o_isp_core_endpoint_test");
    assert.deepEqual(texts(target, ".o_isp_core_endpoint_result.text-danger"), [
      'The endpoint refused this token (HTTP 403): {"error": "invalid token"}',
    ]);
    isp.endpointCheck = async () => {
      throw new TypeError("Failed to fetch");
    };
    await click(target, ".o_isp_core_endpoint_test");
    assert.deepEqual(texts(target, ".o_isp_core_endpoint_result"), ["The endpoint could not be reached: Failed to fetch"]);
  });
});
