// Replaced at deploy time by the CDK stack with the API's URL and the web client's key.
window.__KB_CONFIG__ = {};
