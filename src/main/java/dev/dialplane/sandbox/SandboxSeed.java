package dev.dialplane.sandbox;

import dev.dialplane.agents.AgentArchitecture;
import dev.dialplane.agents.AgentDraft;
import dev.dialplane.agents.AgentService;
import dev.dialplane.common.RunMode;
import dev.dialplane.compliance.CompliancePolicy;
import dev.dialplane.compliance.CompliancePolicyService;
import dev.dialplane.members.MemberService;
import dev.dialplane.numbers.NumberDraft;
import dev.dialplane.numbers.NumberService;
import dev.dialplane.orgs.ApiKeyService;
import dev.dialplane.orgs.OrganizationService;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.trunks.SipTransport;
import dev.dialplane.trunks.TrunkDraft;
import dev.dialplane.trunks.TrunkService;
import java.math.BigDecimal;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The demo data of sandbox mode, with the fixed ids and key the README's curl commands use. Seeded
 * once, before the server accepts requests; later changes by the user are kept.
 */
@Component
class SandboxSeed implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SandboxSeed.class);

    static final UUID ORGANIZATION = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final UUID VOICE_AGENT = UUID.fromString("00000000-0000-4000-8000-000000000010");
    static final UUID TEXT_AGENT = UUID.fromString("00000000-0000-4000-8000-000000000011");
    static final UUID TRUNK = UUID.fromString("00000000-0000-4000-8000-000000000020");
    static final UUID NUMBER = UUID.fromString("00000000-0000-4000-8000-000000000030");
    static final UUID TEXT_NUMBER = UUID.fromString("00000000-0000-4000-8000-000000000031");
    /** Documented in the README; valid only in sandbox mode, where it is seeded. */
    static final String API_KEY = "dp_sandbox_demo_key_0000000000000000000000";

    /** Studio's demo sign-in, printed at start-up and in the README; sandbox mode only. */
    static final String DEMO_EMAIL = "demo@dialplane.local";

    static final String DEMO_PASSWORD = "sandbox";

    static final String CALLER_NUMBER = "+12025550100";
    static final String TEXT_CALLER_NUMBER = "+12025550199";

    private final RunMode mode;
    private final OrganizationService organizations;
    private final ApiKeyService apiKeys;
    private final AgentService agents;
    private final TrunkService trunks;
    private final NumberService numbers;
    private final CompliancePolicyService compliance;
    private final MemberService members;
    private final TransactionTemplate transactions;

    SandboxSeed(
            RunMode mode,
            OrganizationService organizations,
            ApiKeyService apiKeys,
            AgentService agents,
            TrunkService trunks,
            NumberService numbers,
            CompliancePolicyService compliance,
            MemberService members,
            TransactionTemplate transactions) {
        this.mode = mode;
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.agents = agents;
        this.trunks = trunks;
        this.numbers = numbers;
        this.compliance = compliance;
        this.members = members;
        this.transactions = transactions;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!mode.sandbox()) {
            return;
        }
        transactions.executeWithoutResult(status -> seed());
    }

    /**
     * What a newcomer needs to start, once the ports are known. The key is printed whole on
     * purpose: it is the README's public demo key, seeded only in sandbox mode; no other key is
     * ever logged.
     */
    @EventListener
    void welcome(ApplicationReadyEvent event) {
        if (!mode.sandbox()) {
            return;
        }
        var environment = event.getApplicationContext().getEnvironment();
        var port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        var managementPort = environment.getProperty("local.management.port", port);
        log.info(welcome(port, managementPort));
    }

    static String welcome(String port, String managementPort) {
        var api = "http://localhost:" + port;
        return String.join(
                System.lineSeparator(),
                "Dialplane sandbox is ready (simulated carrier, demo data; see the README's sandbox walk-through).",
                "  API:        " + api,
                "  API key:    " + API_KEY + "  (the README's demo key, valid only in sandbox mode)",
                "  Swagger UI: " + api + "/swagger-ui.html",
                "  Studio:     " + api + "/studio  (sign in as " + DEMO_EMAIL + " / " + DEMO_PASSWORD
                        + ", the README's demo sign-in)",
                "  Health:     http://localhost:" + managementPort + "/actuator/health",
                "  Voice agent " + VOICE_AGENT + ", caller number " + CALLER_NUMBER + ". Try:",
                "  curl -s " + api + "/credits -H 'Authorization: Bearer " + API_KEY + "'");
    }

    private void seed() {
        if (organizations.exists(ORGANIZATION)) {
            windowOff();
            // a sandbox database from before Studio gets its demo sign-in too
            members.ensureOwner(ORGANIZATION, DEMO_EMAIL, DEMO_PASSWORD);
            return;
        }
        organizations.ensure(ORGANIZATION, "Sandbox Organization", new BigDecimal("1000"));
        windowOff();
        apiKeys.ensure(ORGANIZATION, "sandbox", API_KEY);
        members.ensureOwner(ORGANIZATION, DEMO_EMAIL, DEMO_PASSWORD);
        var tenant = new Tenant(ORGANIZATION);
        agents.create(
                tenant,
                VOICE_AGENT,
                new AgentDraft("Sandbox Voice Agent", AgentArchitecture.PIPELINE, "sandbox-agent", false));
        agents.create(tenant, TEXT_AGENT, new AgentDraft("Sandbox Text Agent", AgentArchitecture.TEXT, null, false));
        trunks.create(
                tenant,
                TRUNK,
                new TrunkDraft(
                        "Sandbox Trunk",
                        "sip.sandbox.invalid",
                        SipTransport.AUTO,
                        "sandbox",
                        true,
                        "sandbox-password",
                        "US",
                        null,
                        null,
                        null));
        numbers.create(tenant, NUMBER, new NumberDraft(CALLER_NUMBER, TRUNK, VOICE_AGENT, VOICE_AGENT, false));
        numbers.create(tenant, TEXT_NUMBER, new NumberDraft(TEXT_CALLER_NUMBER, TRUNK, TEXT_AGENT, null, false));
    }

    /**
     * The demo organization starts without a calling window, so the walk-through works at any hour
     * (the README shows the PUT that turns it on). Only until the organization has a policy of its
     * own: a window turned on is kept across restarts.
     */
    private void windowOff() {
        compliance.initialize(ORGANIZATION, new CompliancePolicy(null, null, true));
    }
}
