import type { FastifyPluginAsync } from 'fastify';
import { CLINICAL_ROLES, hasAnyRole, hasRole, OH_ROLES } from '../../domain/access/roles.ts';
import { addDays, londonDate, londonInstant } from '../../domain/time/london.ts';
import { listDiary, listMyAppointments } from '../../services/appointments/appointments.service.ts';
import { listCases } from '../../services/cases/cases.service.ts';
import { listMyTasks, listTasks } from '../../services/pathways/pathways.service.ts';
import { listPeople } from '../../services/people/people.service.ts';
import { countTriageQueue, listMyOpenReferrals } from '../../services/referrals/referrals.service.ts';
import { listMyPendingReports, listReportsToFollowUp } from '../../services/reports/reports.service.ts';
import { REPORTING_ROLES, render } from '../shared/render.ts';
import { pageActor } from '../shared/session.ts';
import type { WebDeps } from '../web.plugin.ts';

const DAY = 86_400_000;

/** The home page, shaped by the roles the user holds, and the manager's team page. */
export const homePages: FastifyPluginAsync<WebDeps> = async (app, { ctx }) => {
  app.get('/', async (request, reply) => {
    const actor = pageActor(request);
    const now = ctx.now();
    const isOh = hasAnyRole(actor, OH_ROLES);
    const isClinician = hasAnyRole(actor, CLINICAL_ROLES);
    const [
      myAppointments,
      myReports,
      myCases,
      teamCases,
      triageCount,
      diary,
      clinics,
      clinicianCases,
      awaitingAppointment,
      openReferrals,
      reportsToFollowUp,
      tasksDue,
      myTasks,
    ] = await Promise.all([
      listMyAppointments(ctx, actor),
      listMyPendingReports(ctx, actor),
      actor.personId ? listCases(ctx, actor, 'own') : [],
      hasRole(actor, 'manager') ? listCases(ctx, actor, 'team') : [],
      isOh ? countTriageQueue(ctx, actor) : 0,
      isOh ? listDiary(ctx, actor, { from: now, to: new Date(now.getTime() + DAY) }) : [],
      isClinician
        ? listDiary(ctx, actor, {
            from: now,
            to: new Date(now.getTime() + 14 * DAY),
            clinicianId: actor.userId,
          })
        : [],
      isClinician ? listCases(ctx, actor, 'clinician') : [],
      isOh ? listCases(ctx, actor, 'awaiting-appointment') : [],
      listMyOpenReferrals(ctx, actor),
      isClinician ? listReportsToFollowUp(ctx, actor) : [],
      isOh
        ? listTasks(ctx, actor, { dueBefore: londonInstant(addDays(londonDate(now), 1), 0) })
        : { items: [], next: null },
      listMyTasks(ctx, actor),
    ]);
    return render(request, reply, 'pages/home.njk', {
      title: 'Home',
      width: 'full',
      isOh,
      isClinician,
      isManager: hasRole(actor, 'manager'),
      isWellbeingLead: hasRole(actor, 'wellbeing-lead'),
      myTasks,
      tasksDue: tasksDue.items.length,
      tasksDueMore: tasksDue.next !== null,
      tasksOverdue: tasksDue.items.filter((t) => t.overdue).length,
      canAudit: hasRole(actor, 'sysadmin') || hasRole(actor, 'oh-physician'),
      isReporting: hasAnyRole(actor, REPORTING_ROLES),
      myAppointments,
      myReports,
      myCases: myCases.filter((c) => c.status !== 'closed'),
      teamCases,
      triageCount,
      diary,
      clinics,
      clinicianCases,
      awaitingAppointment,
      reportsToFollowUp,
      myReferrals: openReferrals.filter((r) => r.aboutMe),
      teamReferrals: openReferrals.filter((r) => !r.aboutMe),
    });
  });

  app.get('/team', async (request, reply) => {
    const actor = pageActor(request);
    const query = request.query as { q?: string; cursor?: string };
    const team =
      hasRole(actor, 'manager') && actor.personId
        ? await listPeople(ctx, actor, { q: query.q, cursor: query.cursor, teamOnly: true })
        : { items: [], next: null };
    const teamCases = hasRole(actor, 'manager') ? await listCases(ctx, actor, 'team') : [];
    return render(request, reply, 'pages/team.njk', {
      title: 'My team',
      width: 'full',
      isManager: hasRole(actor, 'manager'),
      team: team.items,
      next: team.next,
      q: query.q ?? '',
      teamCases,
    });
  });
};
