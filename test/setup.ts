// Tests never reach the network: loopback servers only. nock (used by the GitHub door's tests) is armed there.
export {};
