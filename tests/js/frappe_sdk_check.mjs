// End-to-end check of the REST API with frappe-js-sdk, a real Frappe client that no one here
// wrote: log in, read, count, fetch single values, see an error in Frappe's shape, make an
// API key and use it, upload a file, log out. Prints one JSON object for the pytest test
// (tests/api/test_frappe_js_sdk.py) to check.
//
//   node tests/js/frappe_sdk_check.mjs http://127.0.0.1:8000 [email] [password]
import { FrappeApp } from "frappe-js-sdk";

const [url, email = "cb.dongdu@gialam.demo", password = "Demo@2017"] = process.argv.slice(2);
if (!url) {
  console.error("usage: node frappe_sdk_check.mjs URL [email] [password]");
  process.exit(2);
}

// A browser keeps the session cookie ("sid") by itself; Node has no cookie jar, so give the
// SDK's own axios instance a minimal one. The SDK itself is used unchanged.
function keepCookies(axios) {
  const jar = new Map();
  const store = (headers) => {
    for (const line of headers?.["set-cookie"] ?? []) {
      const [pair] = line.split(";");
      const [key, ...rest] = pair.split("=");
      jar.set(key.trim(), rest.join("="));
    }
  };
  axios.interceptors.request.use((config) => {
    if (jar.size) config.headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    return config;
  });
  axios.interceptors.response.use(
    (response) => (store(response.headers), response),
    (error) => (store(error.response?.headers), Promise.reject(error)),
  );
}

async function failure(promise) {
  try {
    await promise;
    return null;
  } catch (error) {
    return { httpStatus: error.httpStatus, exc_type: error.exc_type, exception: error.exception };
  }
}

const app = new FrappeApp(url);
keepCookies(app.axios);
const auth = app.auth();
const db = app.db();
const call = app.call();

const badLogin = await failure(auth.loginWithUsernamePassword({ username: email, password: "sai" }));
const login = await auth.loginWithUsernamePassword({ username: email, password });
const user = await auth.getLoggedInUser();
const communes = await db.getDocList("Organization Unit", {
  fields: ["name", "unit_name", "kind"],
  filters: [["kind", "in", ["Xã", "Thị trấn"]]],
  orderBy: { field: "unit_name", order: "asc" },
  limit: 100,
});
const count = await db.getCount("Organization Unit", [["kind", "in", ["Xã", "Thị trấn"]]]);
const total = await db.getCount("Organization Unit");
const doc = await db.getDoc("Organization Unit", "GL-XA-DONGDU");
const value = await db.getValue("Organization Unit", "unit_name", [["name", "=", "GL-XA-DONGDU"]]);
const missing = await failure(db.getDoc("Organization Unit", "KHONG-CO"));
const forbidden = await failure(
  db.updateDoc("Organization Unit", "GL-XA-DONGDU", { short_name: "X" }),
);
const ping = await call.get("frappe.ping");
// Frappe's old convention: POST / with cmd=frappe.core.doctype.user.user.reset_password.
const forgot = await failure(auth.forgetPassword("khong-co@gialam.demo"));

// An image attached to a unit, through the SDK's own upload.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const uploaded = await app
  .file()
  .uploadFile(new File([png], "dau-xa.png", { type: "image/png" }), {
    isPrivate: true,
    doctype: "Organization Unit",
    docname: "GL-XA-DONGDU",
  });

const keys = (await call.post("frappe.core.doctype.user.user.generate_keys", {})).message;
const tokenApp = new FrappeApp(url, {
  useToken: true,
  token: () => `${keys.api_key}:${keys.api_secret}`,
  type: "token",
});
const tokenUser = await tokenApp.auth().getLoggedInUser();
const tokenCount = await tokenApp.db().getCount("Organization Unit", [["kind", "=", "Xã"]]);

await auth.logout();
const afterLogout = await failure(auth.getLoggedInUser());

console.log(
  JSON.stringify({
    badLogin,
    login,
    user,
    communes: communes.map((u) => u.name),
    kinds: [...new Set(communes.map((u) => u.kind))].sort(),
    count,
    total,
    doc: { name: doc.name, unit_name: doc.unit_name, parent: doc.parent },
    value: value.message,
    missing,
    forbidden,
    ping: ping.message,
    forgot,
    uploaded: {
      status: uploaded.status,
      mime_type: uploaded.data.message.mime_type,
      file_url: uploaded.data.message.file_url,
    },
    tokenUser,
    tokenCount,
    afterLogout,
  }),
);
