import nock from 'nock';

// Tests never reach the network: only loopback servers (the webhook signature test) are allowed.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
