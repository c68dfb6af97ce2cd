// Replaced at deploy time by the CDK stack with the API's URL and the agents' sign-in (user pool
// domain and public app client id). Never a key: this file is public.
window.__KB_CONFIG__ = {};
