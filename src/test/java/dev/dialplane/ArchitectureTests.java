package dev.dialplane;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/**
 * The house rules of DESIGN.md §6, checked on the compiled classes: features depend one way, no
 * cycles, web packages are reached only by Spring, data access stays inside its feature. A rule
 * the code breaks is fixed in the code, not weakened here.
 */
class ArchitectureTests {

    private static final String ROOT = "dev.dialplane";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void featuresDependOneWay() {
        // studio → webhooks → campaigns → calls → compliance / livekit / numbers / trunks / agents →
        // members → orgs → common; the sandbox seeds demo data through the features' services, the
        // OpenAPI document describes them all, and the application class sits above everything
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Application")
                .definedBy(ROOT)
                .layer("OpenApi")
                .definedBy(ROOT + ".openapi..")
                .layer("Sandbox")
                .definedBy(ROOT + ".sandbox..")
                .layer("Studio")
                .definedBy(ROOT + ".studio..")
                .layer("Webhooks")
                .definedBy(ROOT + ".webhooks..")
                .layer("Campaigns")
                .definedBy(ROOT + ".campaigns..")
                .layer("Calls")
                .definedBy(ROOT + ".calls..")
                .layer("Compliance")
                .definedBy(ROOT + ".compliance..")
                .layer("LiveKit")
                .definedBy(ROOT + ".livekit..")
                .layer("Numbers")
                .definedBy(ROOT + ".numbers..")
                .layer("Trunks")
                .definedBy(ROOT + ".trunks..")
                .layer("Agents")
                .definedBy(ROOT + ".agents..")
                .layer("Members")
                .definedBy(ROOT + ".members..")
                .layer("Orgs")
                .definedBy(ROOT + ".orgs..")
                .layer("Common")
                .definedBy(ROOT + ".common..")
                .whereLayer("Common")
                .mayNotAccessAnyLayer()
                .whereLayer("Orgs")
                .mayOnlyAccessLayers("Common")
                .whereLayer("Agents")
                .mayOnlyAccessLayers("Orgs", "Common")
                .whereLayer("Trunks")
                .mayOnlyAccessLayers("Orgs", "Common")
                .whereLayer("Numbers")
                .mayOnlyAccessLayers("Agents", "Trunks", "Orgs", "Common")
                .whereLayer("LiveKit")
                .mayOnlyAccessLayers("Common")
                .whereLayer("Compliance")
                .mayOnlyAccessLayers("Orgs", "Common")
                .whereLayer("Calls")
                .mayOnlyAccessLayers("Compliance", "LiveKit", "Numbers", "Trunks", "Agents", "Orgs", "Common")
                .whereLayer("Campaigns")
                .mayOnlyAccessLayers("Calls", "Compliance", "Numbers", "Agents", "Orgs", "Common")
                .whereLayer("Webhooks")
                .mayOnlyAccessLayers(
                        "Campaigns", "Calls", "Compliance", "LiveKit", "Numbers", "Trunks", "Agents", "Orgs", "Common")
                .whereLayer("Members")
                .mayOnlyAccessLayers("Orgs", "Common")
                .whereLayer("Studio")
                .mayOnlyAccessLayers(
                        "Webhooks",
                        "Campaigns",
                        "Calls",
                        "Compliance",
                        "LiveKit",
                        "Numbers",
                        "Trunks",
                        "Agents",
                        "Members",
                        "Orgs",
                        "Common")
                .whereLayer("Studio")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Sandbox")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("OpenApi")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Application")
                .mayNotBeAccessedByAnyLayer()
                .check(MAIN);
    }

    @Test
    void featuresHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void modulesAreVerifiedBySpringModulith() {
        // cycles and reaching into another module's sub-packages (only common's are open)
        ApplicationModules.of(DialplaneApplication.class).verify();
    }

    @Test
    void nothingButSpringDependsOnAWebPackage() {
        noClasses()
                .that()
                .resideOutsideOfPackage("..web..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..web..")
                .because("controllers, filters and their records are reached through HTTP, not from the features")
                .check(MAIN);
        // one feature's web layer does not use another's; what they share lives in common.web
        slices().matching(ROOT + ".(*).web..")
                .should()
                .notDependOnEachOther()
                .ignoreDependency(
                        JavaClass.Predicates.resideOutsideOfPackage("..common.web.."),
                        JavaClass.Predicates.resideInAPackage(ROOT + ".common.web.."))
                .check(MAIN);
    }

    @Test
    void repositoriesAndRowsStayInsideTheirFeature() {
        classes()
                .that()
                .haveSimpleNameEndingWith("Repository")
                .or()
                .haveSimpleNameEndingWith("Row")
                .should()
                .notBePublic()
                .andShould(onlyBeAccessedFromTheirOwnFeature())
                .check(MAIN);
    }

    @Test
    void noControllerTouchesTheDatabase() {
        noClasses()
                .that()
                .areAnnotatedWith(RestController.class)
                .or()
                .areAnnotatedWith(Controller.class)
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Repository")
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(JdbcClient.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(JdbcTemplate.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(NamedParameterJdbcTemplate.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(DataSource.class)
                .because("a controller speaks HTTP and calls a service; SQL lives in repositories")
                .check(MAIN);
    }

    /** The feature a class belongs to: the package right under {@code dev.dialplane}. */
    private static String feature(JavaClass type) {
        var name = type.getPackageName();
        if (!name.startsWith(ROOT + ".")) {
            return name;
        }
        var rest = name.substring(ROOT.length() + 1);
        var dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static ArchCondition<JavaClass> onlyBeAccessedFromTheirOwnFeature() {
        return new ArchCondition<>("only be accessed from their own feature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (var dependency : type.getDirectDependenciesToSelf()) {
                    var origin = dependency.getOriginClass();
                    if (origin.getPackageName().startsWith(ROOT)
                            && !feature(origin).equals(feature(type))) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }
}
